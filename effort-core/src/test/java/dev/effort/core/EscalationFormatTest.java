package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EscalationFormatTest {

  @Test
  void twoOptionsAreToldApartFromMoreEvenWhenFewShotExamplesRepeatTheirLetters() {
    String example = "The trophy did not fit in the case because the _ was too big.\nA) trophy\nB) case\nAnswer:\nA\n\n";
    String twoOptions = example + example + "Kyle sleeps in leg warmers, Logan not. _ lives in a colder climate.\nA) Kyle\nB) Logan\nAnswer:";
    String fourOptions = "Which is a fly?\nA) centipede\nB) lizard\nC) spider\nD) fly\nAnswer:";

    assertThat(EscalationFormat.of(twoOptions)).isEqualTo(EscalationFormat.TWO_CHOICE);
    assertThat(EscalationFormat.of(fourOptions)).isEqualTo(EscalationFormat.CHOICE);
    assertThat(EscalationFormat.of("How many legs does a spider have?")).isEqualTo(EscalationFormat.NUMBER);
    assertThat(EscalationFormat.of("Write a function to reverse a list.")).isEqualTo(EscalationFormat.FREE);
  }
}
