/**
 * Rate limits (Bucket4j; in memory, or shared in PostgreSQL), their names, and the waits after failures.
 * May import store (for the shared table) and errors.
 */
package se.lu.lunarc.otp.server.limits;
