package dev.netlens.data.datasets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The contents of one IDX file of unsigned bytes (the MNIST format): magic {@code 0, 0, 0x08,
 * ndims}, then {@code ndims} big-endian int32 sizes, then the data. Gzip compression is detected
 * from the content (magic {@code 0x1f 0x8b}), not the file name.
 *
 * @param dims the sizes from the header
 * @param data the payload, exactly the product of {@code dims} bytes
 */
record IdxFile(int[] dims, byte[] data) {
    private static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads and validates {@code file}.
     *
     * @param expectedDims the number of dimensions the caller needs (3 for images, 1 for labels)
     * @throws IllegalArgumentException naming the file when it cannot be read or is not such an IDX
     *     file
     */
    static IdxFile read(Path file, int expectedDims) {
        byte[] bytes = decompressedBytes(file);
        if (bytes.length < 4) {
            throw new IllegalArgumentException("IDX file " + file + " is truncated: " + bytes.length
                    + " bytes, fewer than the 4-byte magic number");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IllegalArgumentException("IDX file " + file + " has a bad magic number " + hex(bytes, 4)
                    + ": expected 00 00 08 " + String.format("%02x", expectedDims)
                    + " (an IDX file of unsigned bytes with " + expectedDims + " dimensions)");
        }
        if ((bytes[2] & 0xff) != UNSIGNED_BYTE) {
            throw new IllegalArgumentException("IDX file " + file + " has data type 0x"
                    + String.format("%02x", bytes[2] & 0xff) + "; only 0x08 (unsigned byte) is supported");
        }
        int ndims = bytes[3] & 0xff;
        if (ndims != expectedDims) {
            throw new IllegalArgumentException("IDX file " + file + " has " + ndims + " dimensions, expected "
                    + expectedDims + (expectedDims == 3 ? " (images: count, rows, columns)" : " (labels: count)"));
        }
        int header = 4 + 4 * ndims;
        if (bytes.length < header) {
            throw new IllegalArgumentException("IDX file " + file + " is truncated: its header needs " + header
                    + " bytes, the file has " + bytes.length);
        }
        int[] dims = new int[ndims];
        long expected = 1;
        for (int d = 0; d < ndims; d++) {
            int o = 4 + 4 * d;
            dims[d] = ((bytes[o] & 0xff) << 24) | ((bytes[o + 1] & 0xff) << 16) | ((bytes[o + 2] & 0xff) << 8)
                    | (bytes[o + 3] & 0xff);
            if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
                throw new IllegalArgumentException("IDX file " + file + " declares an invalid size " + dims[d]
                        + " for dimension " + d + " (sizes " + Arrays.toString(Arrays.copyOf(dims, d + 1)) + ")");
            }
            expected *= dims[d];
        }
        long found = bytes.length - header;
        if (found < expected) {
            throw new IllegalArgumentException("IDX file " + file + " is truncated: its header declares sizes "
                    + Arrays.toString(dims) + " = " + expected + " data bytes, found only " + found);
        }
        if (found > expected) {
            throw new IllegalArgumentException("IDX file " + file + " has " + (found - expected)
                    + " bytes after the " + expected + " data bytes its header declares (sizes "
                    + Arrays.toString(dims) + ")");
        }
        return new IdxFile(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    private static byte[] decompressedBytes(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read IDX file " + file + ": " + e);
        }
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
            return raw;
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalArgumentException("IDX file " + file + " is a truncated or corrupt gzip file: "
                    + e.getMessage());
        }
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
