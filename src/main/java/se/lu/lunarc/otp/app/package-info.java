/**
 * The enrollment without any UI, which the window and the terminal both present: the session, its steps and
 * decisions, settings, the client holder, the texts. May import client, api, otp and spi; never ui, text or JavaFX.
 */
package se.lu.lunarc.otp.app;
