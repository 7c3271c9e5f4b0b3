package dev.effort.router;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One weight tensor stored in an ONNX model file, read straight from the file's protocol-buffer
 * encoding (ModelProto.graph = 7, GraphProto.initializer = 5; TensorProto.dims = 1,
 * data_type = 2, name = 8, raw_data = 9), so that no ONNX or protobuf library is needed to get
 * at a model's token-embedding table.
 *
 * @param name the initializer's name
 * @param dims its shape
 * @param dataType ONNX TensorProto.DataType (2 = uint8, 1 = float)
 * @param raw its raw_data bytes (little-endian), empty if it is stored in a typed field instead
 */
record OnnxInitializer(String name, long[] dims, int dataType, byte[] raw) {

  static final int UINT8 = 2;

  /** @throws IllegalArgumentException if the model has no initializer of that name */
  static OnnxInitializer read(byte[] model, String name) {
    Field graph = Field.find(model, 0, model.length, 7)
        .orElseThrow(() -> new IllegalArgumentException("not an ONNX model: no graph"));
    for (Field tensor : Field.all(model, graph.start, graph.end, 5)) {
      long[] dims = new long[0];
      int dataType = 0;
      String tensorName = null;
      byte[] raw = new byte[0];
      for (Field f : Field.all(model, tensor.start, tensor.end, -1)) {
        switch (f.number) {
          case 1 -> dims = f.packed ? f.packedVarints(model) : append(dims, f.value);
          case 2 -> dataType = (int) f.value;
          case 8 -> tensorName = new String(model, f.start, f.end - f.start, java.nio.charset.StandardCharsets.UTF_8);
          case 9 -> raw = Arrays.copyOfRange(model, f.start, f.end);
          default -> { }
        }
      }
      if (name.equals(tensorName)) {
        return new OnnxInitializer(name, dims, dataType, raw);
      }
    }
    throw new IllegalArgumentException("the ONNX model has no initializer " + name);
  }

  private static long[] append(long[] a, long v) {
    long[] b = Arrays.copyOf(a, a.length + 1);
    b[a.length] = v;
    return b;
  }

  /**
   * One field of a protocol-buffer message: a varint value, or the byte range of a
   * length-delimited one ({@code packed} is set for those, which a repeated scalar may be).
   */
  private record Field(int number, long value, int start, int end, boolean packed) {

    static java.util.Optional<Field> find(byte[] b, int from, int to, int number) {
      return all(b, from, to, number).stream().findFirst();
    }

    /** Every field numbered {@code number} (any, if negative) between {@code from} and {@code to}. */
    static List<Field> all(byte[] b, int from, int to, int number) {
      List<Field> fields = new ArrayList<>();
      int[] at = {from};
      while (at[0] < to) {
        long key = varint(b, at);
        int field = (int) (key >>> 3);
        int wireType = (int) (key & 7);
        Field f = switch (wireType) {
          case 0 -> new Field(field, varint(b, at), at[0], at[0], false);
          case 1 -> skip(field, at, 8);
          case 2 -> {
            int length = (int) varint(b, at);
            Field delimited = new Field(field, 0, at[0], at[0] + length, true);
            at[0] += length;
            yield delimited;
          }
          case 5 -> skip(field, at, 4);
          default -> throw new IllegalArgumentException("unsupported protobuf wire type " + wireType);
        };
        if (number < 0 || field == number) {
          fields.add(f);
        }
      }
      return fields;
    }

    private static Field skip(int field, int[] at, int bytes) {
      Field f = new Field(field, 0, at[0], at[0] + bytes, false);
      at[0] += bytes;
      return f;
    }

    long[] packedVarints(byte[] b) {
      List<Long> values = new ArrayList<>();
      int[] at = {start};
      while (at[0] < end) {
        values.add(varint(b, at));
      }
      return values.stream().mapToLong(Long::longValue).toArray();
    }

    private static long varint(byte[] b, int[] at) {
      long result = 0;
      for (int shift = 0; ; shift += 7) {
        int x = b[at[0]++] & 0xff;
        result |= (long) (x & 0x7f) << shift;
        if (x < 0x80) {
          return result;
        }
      }
    }
  }
}
