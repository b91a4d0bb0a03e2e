/**
 * Random identifiers and hashes, and the files secrets live in: made private, written once, read with a clear message.
 * Imports nothing of the server.
 */
package se.lu.lunarc.otp.server.secrets;
