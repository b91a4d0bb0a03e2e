/**
 * Online backups of a SQLite store and its audit log, and their restore on a stopped server (PostgreSQL has
 * pg_dump). May import store, admin (the site's store and its checks), audit and secrets.
 */
package se.lu.lunarc.otp.server.backup;
