/**
 * The audit log: one JSON line per security event, never a secret.
 * May import secrets.
 */
package se.lu.lunarc.otp.server.audit;
