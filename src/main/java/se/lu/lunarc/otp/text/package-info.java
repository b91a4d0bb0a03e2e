/**
 * The enrollment in a terminal, presenting the app layer's session as prompts. May import app, client, api and
 * zxing; never ui, JavaFX or server.
 */
package se.lu.lunarc.otp.text;
