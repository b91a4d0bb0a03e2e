package se.lu.lunarc.otp.ui.common;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import javafx.scene.AccessibleRole;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.stage.Window;

import java.util.Map;

/**
 * A QR code drawn for scanning off a screen: error correction M, black on white with a 4-module quiet zone
 * whatever the theme, each module a whole number of device pixels at the window's output scale, no smoothing,
 * and at least {@link #MIN_LOGICAL_SIZE} logical pixels wide.
 */
public final class QrCodeView extends StackPane {
    public static final double MIN_LOGICAL_SIZE = 240;
    private final ImageView image = new ImageView();
    private String content;
    private BitMatrix matrix;

    public QrCodeView() {
        getStyleClass().add("qr-code");
        image.setSmooth(false);
        image.setPreserveRatio(true);
        getChildren().add(image);
        setAccessibleRole(AccessibleRole.IMAGE_VIEW);
        setFocusTraversable(false);
        sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                scene.windowProperty().addListener((o2, w0, w) -> watch(w));
                watch(scene.getWindow());
            }
        });
    }

    private void watch(Window w) {
        if (w != null) {
            w.outputScaleXProperty().addListener((o, a, b) -> render());
        }
        render();
    }

    public void setContent(String text) {
        this.content = text;
        try {
            matrix = text == null ? null : new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(
                    EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode QR code", e);
        }
        render();
    }

    /** Drops the image and the text it encodes. */
    public void clear() {
        content = null;
        matrix = null;
        image.setImage(null);
    }

    public String content() {
        return content;
    }

    /** Device pixels per module at the current output scale. */
    public int modulePixels() {
        return matrix == null ? 0 : (int) Math.ceil(MIN_LOGICAL_SIZE * outputScale() / matrix.getWidth());
    }

    private double outputScale() {
        Window w = getScene() == null ? null : getScene().getWindow();
        return w == null || w.getOutputScaleX() <= 0 ? 1 : w.getOutputScaleX();
    }

    private void render() {
        if (matrix == null) {
            image.setImage(null);
            return;
        }
        int modules = matrix.getWidth();
        int px = modulePixels();
        int size = modules * px;
        WritableImage img = new WritableImage(size, size);
        PixelWriter w = img.getPixelWriter();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                w.setArgb(x, y, matrix.get(x / px, y / px) ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        image.setImage(img);
        image.setFitWidth(size / outputScale());
        setMinSize(size / outputScale(), size / outputScale());
        setMaxSize(size / outputScale(), size / outputScale());
    }
}
