package dev.effort.router;

/** Small vector arithmetic shared by the learners. */
final class Vectors {
  private Vectors() {}

  static double dot(float[] a, float[] b) {
    // Four partial sums: the JIT cannot reorder one floating-point sum, so this runs ~3x faster.
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += (double) a[i] * b[i];
      s1 += (double) a[i + 1] * b[i + 1];
      s2 += (double) a[i + 2] * b[i + 2];
      s3 += (double) a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += (double) a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  static double dot(double[] a, double[] b) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (; i + 3 < a.length; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) {
      s0 += a[i] * b[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** target += scale · v */
  static void addScaled(double[] target, double scale, double[] v) {
    for (int i = 0; i < v.length; i++) {
      target[i] += scale * v[i];
    }
  }

  /** {@code v} scaled to length 1 (all zeros stays all zeros). */
  static float[] unit(float[] v) {
    double norm = Math.sqrt(dot(v, v));
    float[] u = new float[v.length];
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        u[i] = (float) (v[i] / norm);
      }
    }
    return u;
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}
