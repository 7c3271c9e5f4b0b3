package dev.effort.providers;

import java.util.Optional;

/**
 * What an image's first bytes say: its type and size. Used to refuse an "image" that is not one
 * (a 400 instead of an upstream's error) and to count an image's tokens.
 */
public final class ImageHeader {
  private ImageHeader() {}

  /** The media type the bytes' signature shows: {@code image/png}, {@code image/jpeg}, {@code image/gif}, {@code image/webp}. */
  public static Optional<String> mediaType(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return Optional.of("image/png");
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
      return Optional.of("image/jpeg");
    }
    if (b.length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') {
      return Optional.of("image/gif");
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
        && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
      return Optional.of("image/webp");
    }
    return Optional.empty();
  }

  /** {width, height} from the header, when the bytes hold enough of it. */
  public static Optional<int[]> size(byte[] b) {
    String type = mediaType(b).orElse("");
    switch (type) {
      case "image/png":
        if (b.length >= 24) {
          return Optional.of(new int[] {int32(b, 16), int32(b, 20)});
        }
        break;
      case "image/gif":
        if (b.length >= 10) {
          return Optional.of(new int[] {u16le(b, 6), u16le(b, 8)});
        }
        break;
      case "image/jpeg":
        return jpeg(b);
      case "image/webp":
        return webp(b);
      default:
        break;
    }
    return Optional.empty();
  }

  private static Optional<int[]> jpeg(byte[] b) {
    int i = 2;
    while (i + 9 < b.length) {
      if ((b[i] & 0xff) != 0xff) {
        return Optional.empty();
      }
      int marker = b[i + 1] & 0xff;
      boolean startOfFrame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
      if (startOfFrame) {
        return Optional.of(new int[] {u16(b, i + 7), u16(b, i + 5)});
      }
      i += 2 + u16(b, i + 2);
    }
    return Optional.empty();
  }

  private static Optional<int[]> webp(byte[] b) {
    if (b.length < 30) {
      return Optional.empty();
    }
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    return switch (chunk) {
      case "VP8 " -> Optional.of(new int[] {u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff});
      case "VP8L" -> {
        int bits = (b[21] & 0xff) | (b[22] & 0xff) << 8 | (b[23] & 0xff) << 16 | (b[24] & 0xff) << 24;
        yield Optional.of(new int[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1});
      }
      case "VP8X" -> Optional.of(new int[] {u24le(b, 24) + 1, u24le(b, 27) + 1});
      default -> Optional.empty();
    };
  }

  private static int int32(byte[] b, int i) {
    return (b[i] & 0xff) << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
  }

  private static int u16le(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8;
  }

  private static int u24le(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16;
  }
}
