/**
 * RADIUS for the cluster's login: packets (aaa4j), NASes, the rounds, the SMS fallback.
 * May import tokens, signin, users, sms, limits, store, audit, errors; never http.
 */
package se.lu.lunarc.otp.server.radius;
