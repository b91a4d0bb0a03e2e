package se.lu.lunarc.otp.ui.common;

import javafx.scene.AccessibleAttribute;
import javafx.scene.AccessibleRole;
import javafx.scene.control.TextField;

import java.util.Arrays;

/**
 * A password field whose secret never becomes a String. The control's text (what the skin draws, what the
 * accessibility layer and any listener can read) is only bullets; the characters typed live in a {@code char[]}
 * of our own that {@link #password()} copies out and {@link #wipe()} overwrites. Every edit (typing, paste,
 * delete, undo) passes through {@link #replaceText(int, int, String)}, which keeps the two in step. Copy and
 * cut yield bullets. In the manner of Cryptomator's SecurePasswordField.
 */
public final class SecretField extends TextField {
    private static final char BULLET = '\u2022';

    private char[] chars = new char[16];
    private int length;

    public SecretField() {
        getStyleClass().add("password-field");
        setAccessibleRole(AccessibleRole.PASSWORD_FIELD);
    }

    @Override
    public void replaceText(int start, int end, String text) {
        int from = Math.max(0, Math.min(start, length));
        int to = Math.max(from, Math.min(end, length));
        String inserted = text == null ? "" : text.replace("\n", "").replace("\r", "");
        int newLength = length - (to - from) + inserted.length();
        if (newLength > chars.length) {
            char[] bigger = new char[Math.max(newLength, chars.length * 2)];
            System.arraycopy(chars, 0, bigger, 0, length);
            Arrays.fill(chars, '\0');
            chars = bigger;
        }
        System.arraycopy(chars, to, chars, from + inserted.length(), length - to);
        inserted.getChars(0, inserted.length(), chars, from);
        if (newLength < length) {
            Arrays.fill(chars, newLength, length, '\0');
        }
        length = newLength;
        super.replaceText(from, to, String.valueOf(BULLET).repeat(inserted.length()));
    }

    @Override
    public void replaceSelection(String replacement) {
        replaceText(getSelection().getStart(), getSelection().getEnd(), replacement);
    }

    /** A copy of the secret; the caller wipes it after use. */
    public char[] password() {
        return Arrays.copyOf(chars, length);
    }

    public int secretLength() {
        return length;
    }

    /** Overwrites the secret and empties the field. */
    public void wipe() {
        Arrays.fill(chars, '\0');
        length = 0;
        super.replaceText(0, getText().length(), "");
    }

    @Override
    public void clear() {
        wipe();
    }

    @Override
    public void copy() {
        // nothing of a password leaves through the clipboard
    }

    @Override
    public void cut() {
        // nothing of a password leaves through the clipboard
    }

    @Override
    public Object queryAccessibleAttribute(AccessibleAttribute attribute, Object... parameters) {
        // a screen reader hears how many characters, never which
        return attribute == AccessibleAttribute.TEXT ? String.valueOf(BULLET).repeat(length)
                : super.queryAccessibleAttribute(attribute, parameters);
    }
}
