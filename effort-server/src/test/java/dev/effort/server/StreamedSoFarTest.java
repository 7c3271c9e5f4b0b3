package dev.effort.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The watch on a client stream forwards every kind of delta: none may fall to a default that drops it. */
class StreamedSoFarTest {

  @Test
  void theWatchOverridesEveryMethodOfDeltas() throws Exception {
    for (Method m : dev.effort.core.Deltas.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = StreamedSoFar.Watched.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(m.getName() + Arrays.toString(m.getParameterTypes()))
          .isEqualTo(StreamedSoFar.Watched.class);
    }
  }
}
