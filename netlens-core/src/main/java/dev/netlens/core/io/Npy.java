package dev.netlens.core.io;

import dev.netlens.core.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes NumPy {@code .npy} files as float32 {@link Tensor}s.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, C (row-major) order, either byte order,
 * and the dtypes float16/32/64, int8/16/32/64, uint8/16/32/64 and bool; values are converted to
 * float32 (integers above 2^24 and float64 values round to the nearest float). Fortran-order arrays
 * of rank 2 or more, object/string/complex/structured dtypes and malformed or truncated files are
 * rejected with an {@link IllegalArgumentException} whose message names the file and the problem.
 *
 * <p>Writing produces version 1.0, dtype {@code <f4}, C order - what {@code numpy.load} reads.
 *
 * <pre>{@code
 * Tensor x = Npy.read(Path.of("input.npy"));
 * Npy.write(Path.of("saliency.npy"), map);
 * }</pre>
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int MAX_HEADER = 1 << 20;
    private static final int CHUNK = 1 << 20;

    private Npy() {
    }

    /**
     * Reads a {@code .npy} file, converting its values to float32.
     *
     * @throws IllegalArgumentException if the file is missing, malformed, truncated, in Fortran order
     *     or of an unsupported dtype (the message names the file)
     * @throws UncheckedIOException on other I/O failures
     */
    public static Tensor read(Path file) {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.toString());
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(file + ": permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static Tensor read(FileChannel ch, String name) throws IOException {
        long fileSize = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, pre, 0);
        pre.flip();
        if (pre.remaining() < 10 || !hasMagic(pre)) {
            throw bad(name, fileSize == 0 ? "empty file, not a .npy file"
                    : "not a .npy file (it does not start with \\x93NUMPY)");
        }
        int major = pre.get(6) & 0xff;
        int minor = pre.get(7) & 0xff;
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (pre.remaining() < 12) {
                throw bad(name, "truncated .npy header");
            }
            headerLen = pre.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw bad(name, "unsupported .npy format version " + major + "." + minor + " (supported: 1.0, 2.0, 3.0)");
        }
        if (headerLen > MAX_HEADER) {
            throw bad(name, "declares a header of " + headerLen + " bytes, which is not plausible (corrupt file?)");
        }
        if (headerStart + headerLen > fileSize) {
            throw bad(name, "truncated: the header needs " + headerLen + " bytes but the file has only "
                    + (fileSize - headerStart) + " after the preamble");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        readFully(ch, hb, headerStart);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict;
        try {
            dict = new HeaderParser(header).parse();
        } catch (IllegalArgumentException e) {
            throw bad(name, "malformed header " + abbreviate(header.trim()) + ": " + e.getMessage());
        }
        Object descr = dict.get("descr");
        Object fortran = dict.get("fortran_order");
        Object shapeObj = dict.get("shape");
        if (!(descr instanceof String) || !(fortran instanceof Boolean) || !(shapeObj instanceof long[])) {
            if (descr instanceof List) {
                throw bad(name, "has a structured dtype, which is not supported; save a plain numeric array");
            }
            throw bad(name, "header must hold 'descr' (a string), 'fortran_order' (True/False) and 'shape'"
                    + " (a tuple), found " + abbreviate(header.trim()));
        }
        Dtype dtype = Dtype.parse((String) descr, name);
        long[] dims = (long[]) shapeObj;
        int[] shape = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw bad(name, "has an invalid shape extent " + dims[i]);
            }
            shape[i] = (int) dims[i];
            count *= dims[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(name, "has more than 2^31-1 elements, more than a netlens tensor can hold");
            }
        }
        if ((Boolean) fortran && dims.length >= 2) {
            throw bad(name, "is stored in Fortran (column-major) order; netlens reads C order only"
                    + " - save it with numpy.save(path, numpy.ascontiguousarray(a))");
        }
        long dataStart = headerStart + headerLen;
        long expected = count * dtype.size;
        long present = fileSize - dataStart;
        if (present < expected) {
            throw bad(name, "truncated: shape " + shapeString(dims) + " of dtype " + descr + " needs " + expected
                    + " bytes of data, the file has " + present);
        }
        if (present > expected) {
            throw bad(name, "has " + (present - expected) + " unexpected bytes after the data of shape "
                    + shapeString(dims) + " and dtype " + descr + " (corrupt file?)");
        }
        float[] out = new float[(int) count];
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(expected, 1))).order(dtype.order);
        long pos = dataStart;
        int done = 0;
        while (done < count) {
            int elems = (int) Math.min(count - done, buf.capacity() / dtype.size);
            buf.clear();
            buf.limit(elems * dtype.size);
            readFully(ch, buf, pos);
            buf.flip();
            if (buf.remaining() != elems * dtype.size) {
                throw bad(name, "truncated: the data ended early");
            }
            dtype.convert(buf, out, done, elems);
            done += elems;
            pos += (long) elems * dtype.size;
        }
        return Tensor.of(out, shape);
    }

    /**
     * Writes a tensor as a version 1.0, C-order, little-endian float32 {@code .npy} file.
     *
     * @throws UncheckedIOException if the file cannot be written
     */
    public static void write(Path file, Tensor tensor) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensor, "tensor");
        int[] shape = tensor.shape();
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = shape[i];
        }
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeString(dims) + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        if (header.length() > 0xffff) {
            throw new IllegalArgumentException("tensor of rank " + shape.length + " has too long a .npy header");
        }
        ByteBuffer head = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        head.put(header.getBytes(StandardCharsets.ISO_8859_1));
        head.flip();
        float[] data = tensor.data();
        int n = tensor.size();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(ch, head);
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; ) {
                int m = Math.min(n - i, CHUNK / 4);
                buf.clear();
                buf.asFloatBuffer().put(data, i, m);
                buf.limit(m * 4);
                writeFully(ch, buf);
                i += m;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasMagic(ByteBuffer b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int r = ch.read(b, pos);
            if (r < 0) {
                return;
            }
            pos += r;
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String shapeString(long[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    private static IllegalArgumentException bad(String file, String problem) {
        return new IllegalArgumentException(file + ": " + problem);
    }

    /** Supported element types. */
    private enum Kind {
        FLOAT, INT, UINT, BOOL
    }

    private record Dtype(Kind kind, int size, ByteOrder order) {
        static Dtype parse(String descr, String file) {
            if (descr.length() < 2) {
                throw unsupported(descr, file);
            }
            char byteOrder = descr.charAt(0);
            String code = descr.substring(1);
            ByteOrder order;
            switch (byteOrder) {
                case '<', '|', '=' -> order = ByteOrder.LITTLE_ENDIAN;
                case '>' -> order = ByteOrder.BIG_ENDIAN;
                default -> {
                    order = ByteOrder.LITTLE_ENDIAN;
                    code = descr;
                }
            }
            return switch (code) {
                case "f2" -> new Dtype(Kind.FLOAT, 2, order);
                case "f4" -> new Dtype(Kind.FLOAT, 4, order);
                case "f8" -> new Dtype(Kind.FLOAT, 8, order);
                case "i1" -> new Dtype(Kind.INT, 1, order);
                case "i2" -> new Dtype(Kind.INT, 2, order);
                case "i4" -> new Dtype(Kind.INT, 4, order);
                case "i8" -> new Dtype(Kind.INT, 8, order);
                case "u1" -> new Dtype(Kind.UINT, 1, order);
                case "u2" -> new Dtype(Kind.UINT, 2, order);
                case "u4" -> new Dtype(Kind.UINT, 4, order);
                case "u8" -> new Dtype(Kind.UINT, 8, order);
                case "b1" -> new Dtype(Kind.BOOL, 1, order);
                default -> throw unsupported(descr, file);
            };
        }

        private static IllegalArgumentException unsupported(String descr, String file) {
            return bad(file, "has dtype '" + descr + "', which is not supported (supported: float16/32/64,"
                    + " int8/16/32/64, uint8/16/32/64, bool)");
        }

        void convert(ByteBuffer b, float[] out, int offset, int n) {
            for (int i = 0; i < n; i++) {
                out[offset + i] = switch (kind) {
                    case FLOAT -> switch (size) {
                        case 2 -> halfToFloat(b.getShort());
                        case 4 -> b.getFloat();
                        default -> (float) b.getDouble();
                    };
                    case INT -> switch (size) {
                        case 1 -> b.get();
                        case 2 -> b.getShort();
                        case 4 -> b.getInt();
                        default -> b.getLong();
                    };
                    case UINT -> switch (size) {
                        case 1 -> b.get() & 0xff;
                        case 2 -> b.getShort() & 0xffff;
                        case 4 -> b.getInt() & 0xffffffffL;
                        default -> unsignedToFloat(b.getLong());
                    };
                    case BOOL -> b.get() != 0 ? 1f : 0f;
                };
            }
        }
    }

    private static float unsignedToFloat(long v) {
        if (v >= 0) {
            return v;
        }
        // Halve (keeping the low bit for correct rounding), convert, double.
        return ((v >>> 1) | (v & 1)) * 2f;
    }

    /** IEEE 754 binary16 to float32 (exact). */
    private static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * Parses the Python dict literal of a .npy header: string keys; values are strings, True/False,
     * tuples of integers or (for structured dtypes, rejected later) lists.
     */
    private static final class HeaderParser {
        private final String s;
        private int pos;

        HeaderParser(String s) {
            this.s = s;
        }

        Map<String, Object> parse() {
            Map<String, Object> out = new LinkedHashMap<>();
            ws();
            expect('{');
            while (true) {
                ws();
                if (peek() == '}') {
                    pos++;
                    break;
                }
                String key = string();
                ws();
                expect(':');
                ws();
                out.put(key, value());
                ws();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at position " + (pos - 1));
                }
            }
            ws();
            if (pos != s.length()) {
                throw new IllegalArgumentException("unexpected text after the dictionary");
            }
            return out;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (s.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (s.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            if (c == '(') {
                pos++;
                List<Long> values = new ArrayList<>();
                while (true) {
                    ws();
                    if (peek() == ')') {
                        pos++;
                        break;
                    }
                    values.add(integer());
                    ws();
                    char d = next();
                    if (d == ')') {
                        break;
                    }
                    if (d != ',') {
                        throw new IllegalArgumentException("expected ',' or ')' in the shape tuple");
                    }
                }
                long[] a = new long[values.size()];
                for (int i = 0; i < a.length; i++) {
                    a[i] = values.get(i);
                }
                return a;
            }
            if (c == '[') {
                // A structured dtype: skip the balanced brackets; the caller rejects it.
                int depth = 0;
                do {
                    char d = next();
                    if (d == '[') {
                        depth++;
                    } else if (d == ']') {
                        depth--;
                    }
                } while (depth > 0);
                return List.of();
            }
            throw new IllegalArgumentException("unexpected value at position " + pos);
        }

        private long integer() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            String digits = s.substring(start, pos);
            if (pos < s.length() && (s.charAt(pos) == 'L' || s.charAt(pos) == 'l')) {
                pos++; // Python 2 long suffix
            }
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid integer '" + digits + "' in the shape");
            }
        }

        private String string() {
            char quote = next();
            if (quote != '\'' && quote != '"') {
                throw new IllegalArgumentException("expected a quoted string at position " + (pos - 1));
            }
            int end = s.indexOf(quote, pos);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated string");
            }
            String v = s.substring(pos, end);
            pos = end + 1;
            return v;
        }

        private void ws() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("header ends early");
            }
            return s.charAt(pos);
        }

        private char next() {
            char c = peek();
            pos++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + (pos - 1));
            }
        }
    }
}
