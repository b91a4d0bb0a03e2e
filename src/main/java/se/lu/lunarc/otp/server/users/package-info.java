/**
 * Where accounts come from: the users file or LDAP; an account is named as its directory names it.
 * May import secrets and net.
 */
package se.lu.lunarc.otp.server.users;
