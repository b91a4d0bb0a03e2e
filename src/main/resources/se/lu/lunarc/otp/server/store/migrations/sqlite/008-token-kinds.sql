-- How a token makes its codes: phone apps TOTP 6/30, hardware tokens their own digits and step, and a serial.
ALTER TABLE tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'totp' CHECK (kind IN ('totp', 'hotp'));
ALTER TABLE tokens ADD COLUMN digits INTEGER NOT NULL DEFAULT 6;
ALTER TABLE tokens ADD COLUMN period INTEGER NOT NULL DEFAULT 30;
ALTER TABLE tokens ADD COLUMN serial TEXT;
