package se.lu.lunarc.otp.text;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A QR code as terminal text: Unicode half blocks (two module rows per line) or, for terminals without Unicode,
 * two ASCII characters per module. Both are drawn black on white with explicit ANSI colours and a 4-module
 * quiet zone, so the code scans on dark and light terminal themes alike.
 */
public final class TerminalQr {
    public enum Style { UNICODE, ASCII }

    static final String BLACK_ON_WHITE = "\u001b[30;107m";
    static final String BLACK_ON_BLACK = "\u001b[30;40m";
    static final String RESET = "\u001b[0m";

    private TerminalQr() {}

    public static BitMatrix matrix(String text) {
        try {
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode QR code", e);
        }
    }

    /** Columns the code needs in {@code style}. */
    public static int width(BitMatrix m, Style style) {
        return style == Style.UNICODE ? m.getWidth() : 2 * m.getWidth();
    }

    public static List<String> render(BitMatrix m, Style style) {
        List<String> lines = new ArrayList<>();
        int size = m.getWidth();
        if (style == Style.UNICODE) {
            for (int y = 0; y < size; y += 2) {
                StringBuilder line = new StringBuilder(BLACK_ON_WHITE);
                for (int x = 0; x < size; x++) {
                    boolean top = m.get(x, y);
                    boolean bottom = y + 1 < size && m.get(x, y + 1);
                    line.append(top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ');
                }
                lines.add(line.append(RESET).toString());
            }
        } else {
            // dark modules: "##" on black (solid with colours, still legible as # without them)
            for (int y = 0; y < size; y++) {
                StringBuilder line = new StringBuilder();
                for (int x = 0; x < size; x++) {
                    line.append(m.get(x, y) ? BLACK_ON_BLACK + "##" : BLACK_ON_WHITE + "  ");
                }
                lines.add(line.append(RESET).toString());
            }
        }
        return lines;
    }
}
