package se.lu.lunarc.otp.ui;

/** A screen's controller. {@link #onHide()} is where fields holding secrets are wiped. */
public interface ScreenController {
    default void onShow() {
    }

    default void onHide() {
    }
}
