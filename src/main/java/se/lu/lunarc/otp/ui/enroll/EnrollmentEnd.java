package se.lu.lunarc.otp.ui.enroll;

import javafx.scene.input.Clipboard;
import se.lu.lunarc.otp.ui.WizardState;

/** What ending an enrollment means, however it ends: the secret leaves memory and the clipboard. */
final class EnrollmentEnd {
    private EnrollmentEnd() {}

    static void drop(WizardState state) {
        if (state.enrollment != null) {
            Clipboard clipboard = Clipboard.getSystemClipboard();
            if (state.enrollment.enrollment().secret().equals(clipboard.getString())) {
                clipboard.clear();
            }
        }
        state.enrollment = null;
        state.activating = null;
    }
}
