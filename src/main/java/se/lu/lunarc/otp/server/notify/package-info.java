/**
 * Telling users what happened to their authenticators: a token added, registered, revoked, deactivated or
 * unassigned (and by whom), a replayed code refused, a login by the SMS fallback. Follows the audit log, so a
 * message goes out only for what was committed and recorded. May import audit, users, sms, limits and secrets.
 */
package se.lu.lunarc.otp.server.notify;
