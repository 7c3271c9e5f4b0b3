package dev.effort.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FoldsTest {

  @Test
  void foldsAreBalanced() {
    int[] fold = Folds.assign(103, 5, 42);

    int[] sizes = new int[5];
    for (int f : fold) {
      sizes[f]++;
    }
    assertThat(sizes).containsExactlyInAnyOrder(21, 21, 21, 20, 20);
  }

  @Test
  void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
    assertThat(Folds.assign(50, 5, 7)).containsExactly(Folds.assign(50, 5, 7));
    assertThat(Folds.assign(50, 5, 8)).isNotEqualTo(Folds.assign(50, 5, 7));
  }

  @Test
  void rowsAreShuffledNotDealtInOrder() {
    int[] fold = Folds.assign(100, 2, 1);
    int[] inOrder = new int[100];
    Arrays.setAll(inOrder, i -> i % 2);

    assertThat(fold).isNotEqualTo(inOrder);
  }

  @Test
  void impossibleSplitsAreRefused() {
    assertThatThrownBy(() -> Folds.assign(3, 5, 1)).hasMessageContaining("cannot split 3 rows into 5 folds");
    assertThatThrownBy(() -> Folds.assign(10, 1, 1)).hasMessageContaining("need 2 <= k <= n");
  }
}
