/**
 * What a service throws when it refuses (ProblemException, an API problem) or its store does not answer.
 * Imports only api; http and radius translate these into answers.
 */
package se.lu.lunarc.otp.server.errors;
