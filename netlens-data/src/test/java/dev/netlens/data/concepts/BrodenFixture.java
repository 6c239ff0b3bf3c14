package dev.netlens.data.concepts;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/**
 * A three-image dataset in the layout of the published Broden 1 release (broden1_224: images 224,
 * segmentations 112; broden1_227: 227 and 113): six categories in Broden's column order, images in
 * per-source folders, two part files (part levels) for one image, a label > 255 (so G matters), a
 * label in two categories, image-level scene and texture labels, a quoted synonym list and empty
 * cells.
 */
final class BrodenFixture {
    static final int WINDOW = 300;
    static final int WALL = 5;

    private BrodenFixture() {
    }

    static Path write(Path dir, int imageSize, int segSize) throws IOException {
        Files.createDirectories(dir.resolve("images/ade20k"));
        Files.createDirectories(dir.resolve("images/dtd"));
        Files.createDirectories(dir.resolve("images/pascal"));
        Files.writeString(dir.resolve("category.csv"), """
                name,first,last,count,frequency
                color,1,3,3,4
                object,4,6,3,3
                part,5,300,2,3
                material,9,9,1,1
                scene,10,11,2,3
                texture,12,13,2,2
                """);
        Files.writeString(dir.resolve("label.csv"), """
                number,name,category,frequency,coverage,syns
                1,black,color(2),2,0.750000,
                2,red-c,color(2),2,0.750000,red
                3,white,color(1),1,0.500000,
                4,person,object(1),1,0.375000,"individual;someone;somebody"
                5,wall,object(2);part(1),2,0.600000,
                6,car,object(0),0,0.000000,
                7,arm,part(1),1,0.250000,
                9,wood,material(1),1,1.000000,
                10,street,scene(2),2,2.000000,
                11,kitchen,scene(1),1,1.000000,
                12,banded,texture(1),1,1.000000,
                13,striped,texture(1),1,1.000000,
                300,window,part(1),1,0.437500,windowpane
                """);
        Files.writeString(dir.resolve("c_color.csv"), "code,number,name,frequency,coverage\n1,1,black,2,0.75\n"
                + "2,2,red-c,2,0.75\n3,3,white,1,0.5\n");
        Files.writeString(dir.resolve("c_object.csv"), "code,number,name,frequency,coverage\n1,4,person,1,0.375\n"
                + "2,5,wall,2,0.6\n3,6,car,0,0.0\n");
        Files.writeString(dir.resolve("c_part.csv"), "code,number,name,frequency,coverage\n1,7,arm,1,0.25\n"
                + "2,300,window,1,0.4375\n3,5,wall,1,0.1\n");
        Files.writeString(dir.resolve("c_material.csv"), "code,number,name,frequency,coverage\n1,9,wood,1,1.0\n");
        Files.writeString(dir.resolve("c_scene.csv"), "code,number,name,frequency,coverage\n1,10,street,2,2.0\n"
                + "2,11,kitchen,1,1.0\n");
        Files.writeString(dir.resolve("c_texture.csv"), "code,number,name,frequency,coverage\n1,12,banded,1,1.0\n"
                + "2,13,striped,1,1.0\n");
        String s = imageSize + "," + imageSize + "," + segSize + "," + segSize;
        Files.writeString(dir.resolve("index.csv"), "image,split,ih,iw,sh,sw,color,object,part,material,scene,texture\n"
                + "ade20k/ADE_train_1.jpg,train," + s + ",ade20k/ADE_train_1_color.png,ade20k/ADE_train_1_object.png,"
                + "ade20k/ADE_train_1_part_1.png;ade20k/ADE_train_1_part_2.png,,10,\n"
                + "dtd/banded_0001.jpg,val," + s + ",dtd/banded_0001_color.png,,,,,12;13\n"
                + "pascal/2008_000001.jpg,train," + s + ",,pascal/2008_000001_object.png,"
                + "pascal/2008_000001_part_1.png,pascal/2008_000001_material.png,11;10,\n");
        int q = segSize / 4;
        jpeg(dir.resolve("images/ade20k/ADE_train_1.jpg"), imageSize);
        jpeg(dir.resolve("images/dtd/banded_0001.jpg"), imageSize);
        jpeg(dir.resolve("images/pascal/2008_000001.jpg"), imageSize);
        labels(dir.resolve("images/ade20k/ADE_train_1_color.png"), segSize, (x, y) -> x < segSize / 2 ? 1 : 2);
        labels(dir.resolve("images/ade20k/ADE_train_1_object.png"), segSize,
                (x, y) -> y == 0 ? 0 : x < segSize / 2 ? 4 : WALL);
        labels(dir.resolve("images/ade20k/ADE_train_1_part_1.png"), segSize, (x, y) -> x < q ? WINDOW : 0);
        labels(dir.resolve("images/ade20k/ADE_train_1_part_2.png"), segSize,
                (x, y) -> y < q ? WINDOW : y >= segSize - q ? 7 : 0);
        labels(dir.resolve("images/dtd/banded_0001_color.png"), segSize, (x, y) -> y < segSize / 2 ? 3 : 2);
        labels(dir.resolve("images/pascal/2008_000001_object.png"), segSize, (x, y) -> WALL);
        labels(dir.resolve("images/pascal/2008_000001_part_1.png"), segSize, (x, y) -> y < q ? WALL : 0);
        labels(dir.resolve("images/pascal/2008_000001_material.png"), segSize, (x, y) -> 9);
        return dir;
    }

    static void jpeg(Path file, int size) throws IOException {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, (x % 256) << 16 | (y % 256) << 8 | 128);
            }
        }
        ImageIO.write(img, "jpg", file.toFile());
    }

    /** A segmentation PNG as Broden stores it: R = label mod 256, G = label / 256, B = 0. */
    static void labels(Path file, int size, IntBinaryOperator label) throws IOException {
        labels(file, size, size, label);
    }

    static void labels(Path file, int height, int width, IntBinaryOperator label) throws IOException {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int l = label.applyAsInt(x, y);
                img.setRGB(x, y, (l & 0xff) << 16 | (l >> 8) << 8);
            }
        }
        ImageIO.write(img, "png", file.toFile());
    }
}
