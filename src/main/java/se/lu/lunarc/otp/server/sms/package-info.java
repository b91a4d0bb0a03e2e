/**
 * Sending SMS: to a file (the demo) or an HTTP gateway.
 * Imports nothing of the server but ServerConfig.
 */
package se.lu.lunarc.otp.server.sms;
