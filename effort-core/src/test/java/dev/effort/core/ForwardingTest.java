package dev.effort.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A watch on a stream forwards every kind of delta: none may fall to a default that drops it. */
class ForwardingTest {

  @Test
  void forwardingOverridesEveryMethodOfDeltas() throws Exception {
    for (Method m : Deltas.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Method own = Forwarding.class.getMethod(m.getName(), m.getParameterTypes());
      assertThat(own.getDeclaringClass()).as(m.getName() + Arrays.toString(m.getParameterTypes()))
          .isEqualTo(Forwarding.class);
    }
  }
}
