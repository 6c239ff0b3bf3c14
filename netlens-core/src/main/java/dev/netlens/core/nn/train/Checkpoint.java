package dev.netlens.core.nn.train;

import dev.netlens.core.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Everything a training run needs to continue exactly where it stopped: parameter values
 * (including batch-norm running statistics), optimiser state and trainer counters.
 *
 * <p>File format (big-endian): magic {@code "NLCKPT01"}; a UTF-8 properties text (trainer state and
 * configuration); three tensor groups (model, optimiser), each a count followed by (name, rank,
 * dims, float32 data) entries; a CRC-32 of everything before it. Written to a temporary file in
 * the same directory and moved into place, so an interrupted write never leaves a half-written
 * checkpoint behind.
 */
public record Checkpoint(Map<String, String> state, Map<String, Tensor> model, Map<String, Tensor> optimizer) {
    private static final byte[] MAGIC = "NLCKPT01".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Writes the checkpoint atomically. */
    public void write(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            CRC32 crc = new CRC32();
            try (OutputStream os = Files.newOutputStream(tmp);
                 DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(os, 1 << 16), crc))) {
                out.write(MAGIC);
                writeString(out, Properties.format(state));
                writeTensors(out, model);
                writeTensors(out, optimizer);
                out.flush();
                out.writeLong(crc.getValue());
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    /** Reads a checkpoint; corrupt or truncated files are rejected naming the file. */
    public static Checkpoint read(Path file) {
        CRC32 crc = new CRC32();
        try (InputStream is = Files.newInputStream(file);
             CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(is, 1 << 16), crc);
             DataInputStream in = new DataInputStream(checked)) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException(file + " is not a netlens training checkpoint (bad magic)");
            }
            Map<String, String> state = Properties.parse(readString(in));
            Map<String, Tensor> model = readTensors(in, file);
            Map<String, Tensor> optimizer = readTensors(in, file);
            long expected = crc.getValue();
            long stored = in.readLong();
            if (stored != expected) {
                throw new IllegalArgumentException(file + " is corrupt (checksum mismatch); delete it to start over");
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(file + " is corrupt (data after the checksum)");
            }
            return new Checkpoint(state, model, optimizer);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint " + file + " does not exist");
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated (not a complete checkpoint); delete it to start over");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 26)) {
            throw new IOException("bad string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void writeTensors(DataOutputStream out, Map<String, Tensor> tensors) throws IOException {
        out.writeInt(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            writeString(out, e.getKey());
            int[] shape = e.getValue().shape();
            out.writeInt(shape.length);
            for (int d : shape) {
                out.writeInt(d);
            }
            float[] data = e.getValue().data();
            int n = e.getValue().size();
            ByteBuffer buf = ByteBuffer.allocate(4 * Math.min(n, 1 << 16)).order(ByteOrder.BIG_ENDIAN);
            for (int i = 0; i < n; ) {
                int m = Math.min(n - i, 1 << 16);
                buf.clear();
                buf.asFloatBuffer().put(data, i, m);
                out.write(buf.array(), 0, 4 * m);
                i += m;
            }
        }
    }

    private static Map<String, Tensor> readTensors(DataInputStream in, Path file) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 1_000_000) {
            throw new IllegalArgumentException(file + " is corrupt (tensor count " + count + ")");
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int t = 0; t < count; t++) {
            String name = readString(in);
            int rank = in.readInt();
            if (rank < 0 || rank > 8) {
                throw new IllegalArgumentException(file + " is corrupt (tensor '" + name + "' of rank " + rank + ")");
            }
            int[] shape = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = in.readInt();
                size *= shape[i];
                if (shape[i] < 0 || size > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(file + " is corrupt (tensor '" + name + "' has a bad shape)");
                }
            }
            float[] data = new float[(int) size];
            byte[] bytes = new byte[4 * (int) Math.min(size, 1 << 16)];
            for (int i = 0; i < size; ) {
                int k = (int) Math.min(size - i, 1 << 16);
                in.readFully(bytes, 0, 4 * k);
                ByteBuffer.wrap(bytes, 0, 4 * k).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(data, i, k);
                i += k;
            }
            m.put(name, Tensor.of(data, shape));
        }
        return m;
    }

    /** key=value lines with backslash escapes, in insertion order. */
    static final class Properties {
        private Properties() {
        }

        static String format(Map<String, String> map) {
            StringBuilder sb = new StringBuilder();
            map.forEach((k, v) -> sb.append(escape(k)).append('=').append(escape(v)).append('\n'));
            return sb.toString();
        }

        static Map<String, String> parse(String text) {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                int eq = -1;
                for (int i = 0; i < line.length(); i++) {
                    if (line.charAt(i) == '\\') {
                        i++;
                    } else if (line.charAt(i) == '=') {
                        eq = i;
                        break;
                    }
                }
                if (eq < 0) {
                    throw new IllegalArgumentException("bad checkpoint state line: " + line);
                }
                m.put(unescape(line.substring(0, eq)), unescape(line.substring(eq + 1)));
            }
            return m;
        }

        private static String escape(String s) {
            return s.replace("\\", "\\\\").replace("\n", "\\n").replace("=", "\\=");
        }

        private static String unescape(String s) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char d = s.charAt(++i);
                    sb.append(d == 'n' ? '\n' : d);
                } else {
                    sb.append(c);
                }
            }
            return sb.toString();
        }
    }
}
