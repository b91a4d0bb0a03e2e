/**
 * Signing in: the password under the failure rule, the human check, the SMS code, sessions.
 * May import users, sms, limits, store, audit, errors, secrets; never http.
 */
package se.lu.lunarc.otp.server.signin;
