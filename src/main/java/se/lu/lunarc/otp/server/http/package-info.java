/**
 * API v1 over HTTP (Javalin): the routes, problem+json answers, security headers, client addresses.
 * Translates only: it calls the services of signin, tokens and hardware, and knows no SQL.
 */
package se.lu.lunarc.otp.server.http;
