/**
 * Hardware tokens: PSKC import, registration by serial number and code.
 * May import tokens, store, limits, audit, errors, admin (for the import command).
 */
package se.lu.lunarc.otp.server.hardware;
