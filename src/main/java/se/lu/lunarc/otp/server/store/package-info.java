/**
 * Every SQL statement: one class per table or aggregate, the migrations, the two databases and their transactions.
 * Imports nothing of the server but secrets and net; services call its methods and never see a statement.
 */
package se.lu.lunarc.otp.server.store;
