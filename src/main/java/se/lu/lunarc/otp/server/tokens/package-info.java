/**
 * A user's tokens and the code checks of the cluster's login (/validate and RADIUS share them).
 * May import users, limits, store, audit, errors, secrets; never http or radius.
 */
package se.lu.lunarc.otp.server.tokens;
