/**
 * The JavaFX window: one FXML and one controller per screen, which present the app layer's session and report what
 * the user did. May import app, client and api; never text or server.
 */
package se.lu.lunarc.otp.ui;
