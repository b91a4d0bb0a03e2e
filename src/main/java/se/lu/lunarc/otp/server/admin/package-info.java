/**
 * The helpdesk's commands, run beside the service against its store.
 * May import store, users, audit, limits and hardware.
 */
package se.lu.lunarc.otp.server.admin;
