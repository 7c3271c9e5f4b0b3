package dev.effort.router;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Binary form of fitted models: a header naming the kind and version, then plain arrays. */
final class ModelStreams {
  private ModelStreams() {}

  static void writeHeader(DataOutputStream out, String kind, int version) throws IOException {
    out.writeUTF(kind);
    out.writeInt(version);
  }

  static void readHeader(DataInputStream in, String kind, int version) throws IOException {
    String k = in.readUTF();
    int v = in.readInt();
    if (!k.equals(kind) || v != version) {
      throw new IOException("expected a " + kind + " model of format " + version + ", found " + k + " of format " + v
          + "; refit it with this build (effort tune)");
    }
  }

  static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
    out.writeInt(values.length);
    for (double v : values) {
      out.writeDouble(v);
    }
  }

  static double[] readDoubles(DataInputStream in) throws IOException {
    double[] values = new double[length(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readDouble();
    }
    return values;
  }

  static void writeFloats(DataOutputStream out, float[] values) throws IOException {
    out.writeInt(values.length);
    for (float v : values) {
      out.writeFloat(v);
    }
  }

  static float[] readFloats(DataInputStream in) throws IOException {
    float[] values = new float[length(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readFloat();
    }
    return values;
  }

  static void writeMatrix(DataOutputStream out, double[][] rows) throws IOException {
    out.writeInt(rows.length);
    for (double[] row : rows) {
      writeDoubles(out, row);
    }
  }

  static double[][] readMatrix(DataInputStream in) throws IOException {
    double[][] rows = new double[length(in)][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = readDoubles(in);
    }
    return rows;
  }

  static int length(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("corrupt model: negative length " + n);
    }
    return n;
  }
}
