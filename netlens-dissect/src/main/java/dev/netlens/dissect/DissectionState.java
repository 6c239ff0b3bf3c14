package dev.netlens.dissect;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Everything a dissection run has accumulated, saved after every batch so that an interrupted run
 * resumes where it stopped: the pass and the next batch, and per layer the threshold sketches, the
 * top images and (in pass 2) the IoU tally. A fingerprint of the run's settings, data and model
 * guards against resuming a different run. The file is replaced atomically.
 */
final class DissectionState {
    static final String FILE = "dissection.state";
    private static final int MAGIC = 0x4e4c4453; // "NLDS"
    private static final int VERSION = 1;

    final String fingerprint;
    int pass = 1;
    int nextBatch;
    final QuantileSketch[][] sketches;
    final TopImages[] top;
    final IouTally[] tallies;

    DissectionState(String fingerprint, QuantileSketch[][] sketches, TopImages[] top, IouTally[] tallies) {
        this.fingerprint = fingerprint;
        this.sketches = sketches;
        this.top = top;
        this.tallies = tallies;
    }

    void save(Path dir) {
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.createDirectories(dir);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(fingerprint);
                out.writeInt(pass);
                out.writeInt(nextBatch);
                out.writeInt(sketches.length);
                for (int l = 0; l < sketches.length; l++) {
                    out.writeInt(sketches[l].length);
                    for (QuantileSketch s : sketches[l]) {
                        s.write(out);
                    }
                    top[l].write(out);
                    tallies[l].write(out);
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save dissection state to " + file, e);
        }
    }

    /** The saved state in {@code dir}, or null when there is none. */
    static DissectionState load(Path dir, String expectedFingerprint) {
        Path file = dir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalArgumentException(file + " is not a netlens dissection state (or another version);"
                        + " delete it or use another state folder");
            }
            String fp = in.readUTF();
            if (!fp.equals(expectedFingerprint)) {
                throw new IllegalArgumentException(file + " belongs to another dissection (other model, data, layers or"
                        + " settings); delete it or use another state folder");
            }
            int pass = in.readInt();
            int next = in.readInt();
            int layers = in.readInt();
            QuantileSketch[][] sketches = new QuantileSketch[layers][];
            TopImages[] top = new TopImages[layers];
            IouTally[] tallies = new IouTally[layers];
            for (int l = 0; l < layers; l++) {
                sketches[l] = new QuantileSketch[in.readInt()];
                for (int k = 0; k < sketches[l].length; k++) {
                    sketches[l][k] = QuantileSketch.read(in);
                }
                top[l] = TopImages.read(in);
                tallies[l] = IouTally.read(in);
            }
            DissectionState s = new DissectionState(fp, sketches, top, tallies);
            s.pass = pass;
            s.nextBatch = next;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read dissection state " + file + " (delete it to start afresh)", e);
        }
    }
}
