/**
 * Addresses: CIDR blocks (trusted proxies, RADIUS clients) and what counts as loopback.
 * Imports nothing of the server.
 */
package se.lu.lunarc.otp.server.net;
