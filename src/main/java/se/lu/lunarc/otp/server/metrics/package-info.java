/**
 * What the server counts and times for Prometheus (Micrometer), and the listener that serves it. May import audit,
 * users, sms and store (the types it observes); the services report to it, it decides nothing.
 */
package se.lu.lunarc.otp.server.metrics;
