package se.lu.lunarc.otp.ui.enroll;

import se.lu.lunarc.otp.ui.WizardState;

/** What ending an enrollment means, however it ends: the secret leaves memory and the clipboard. */
final class EnrollmentEnd {
    private EnrollmentEnd() {}

    static void drop(WizardState state) {
        if (state.enrollment() != null) {
            WizardState.clearClipboardIfItHolds(state.enrollment().enrollment().secret());
        }
        state.setEnrollment(null);
        state.setActivating(null);
    }
}
