-- ketlog store, format version 1.
-- Plain columns hold only row ids, foreign keys, version numbers, the blind index for patient
-- codes, key-slot parameters and the audit chain's MACs. Every clinical value lives inside a
-- `sealed` blob (see Schema/README.md for its layout and associated data).

-- One row: what this file is.
CREATE TABLE store_meta (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    format_version INTEGER NOT NULL CHECK (format_version >= 1),
    store_id       BLOB    NOT NULL CHECK (length(store_id) = 16),
    -- HMAC-SHA256 under the audit key over "ketlog/v1/key-check" ‖ 0x00 ‖ store_id: checked at
    -- every unlock, it proves the data key a slot unwrapped belongs to this store (a slot copied
    -- in from another store fails here). The slot's own AEAD tag is what proves the passphrase.
    key_check      BLOB    NOT NULL CHECK (length(key_check) = 32)
) STRICT;

-- One row per user: the data key wrapped under scrypt(passphrase).
CREATE TABLE key_slot (
    id               INTEGER PRIMARY KEY,
    user_name        TEXT    NOT NULL UNIQUE CHECK (length(user_name) BETWEEN 1 AND 64),
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'clinician')),
    kdf_salt         BLOB    NOT NULL CHECK (length(kdf_salt) = 16),
    kdf_work_factor  INTEGER NOT NULL CHECK (kdf_work_factor BETWEEN 10 AND 22),
    wrap_nonce       BLOB    NOT NULL CHECK (length(wrap_nonce) = 12),
    wrapped_key      BLOB    NOT NULL CHECK (length(wrapped_key) = 48)
) STRICT;

-- Patients: the head row points at the current version.
CREATE TABLE patient (
    id              INTEGER PRIMARY KEY,
    code_index      BLOB    NOT NULL UNIQUE CHECK (length(code_index) = 32),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;

CREATE TABLE patient_version (
    patient_id INTEGER NOT NULL REFERENCES patient(id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    sealed     BLOB    NOT NULL,
    PRIMARY KEY (patient_id, version)
) STRICT, WITHOUT ROWID;

-- Ketamine administrations.
CREATE TABLE session (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;
CREATE INDEX session_by_patient ON session(patient_id);

CREATE TABLE session_version (
    session_id INTEGER NOT NULL REFERENCES session(id),
    version    INTEGER NOT NULL CHECK (version >= 1),
    sealed     BLOB    NOT NULL,
    PRIMARY KEY (session_id, version)
) STRICT, WITHOUT ROWID;

-- Patient-reported scores.
CREATE TABLE score (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;
CREATE INDEX score_by_patient ON score(patient_id);

CREATE TABLE score_version (
    score_id INTEGER NOT NULL REFERENCES score(id),
    version  INTEGER NOT NULL CHECK (version >= 1),
    sealed   BLOB    NOT NULL,
    PRIMARY KEY (score_id, version)
) STRICT, WITHOUT ROWID;

-- The append-only audit trail. mac = HMAC-SHA256(audit key, previous mac ‖ entry bytes).
CREATE TABLE audit_entry (
    seq    INTEGER PRIMARY KEY CHECK (seq >= 1),
    mac    BLOB    NOT NULL CHECK (length(mac) = 32),
    sealed BLOB    NOT NULL
) STRICT;

-- Append-only, enforced by the database as well as by the code.
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER patient_version_no_update BEFORE UPDATE ON patient_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER session_version_no_update BEFORE UPDATE ON session_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER score_version_no_update BEFORE UPDATE ON score_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
-- Records are never deleted (void writes a new version), so no head or version row may go.
CREATE TRIGGER patient_no_delete BEFORE DELETE ON patient
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER session_no_delete BEFORE DELETE ON session
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER score_no_delete BEFORE DELETE ON score
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER patient_version_no_delete BEFORE DELETE ON patient_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER session_version_no_delete BEFORE DELETE ON session_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER score_version_no_delete BEFORE DELETE ON score_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
