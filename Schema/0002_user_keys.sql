-- Format 2: per-user key pairs and signed audit entries.
--
-- Each user gets an X25519 key pair, to which the store's data key is wrapped, and an Ed25519
-- key pair, which signs that user's audit entries. The private keys are sealed under the
-- user's passphrase (the scrypt key-encryption key); the public keys are in the clear. A slot
-- of format 1 keeps its data key wrapped under the passphrase until its user's first unlock
-- after an admin upgraded the store. Who may do what is decided by the signed audit chain; this
-- table is a cache of it that every unlock and `audit verify` check. Reporters only read.
CREATE TABLE key_slot_v2 (
    id               INTEGER PRIMARY KEY,
    user_name        TEXT    NOT NULL UNIQUE CHECK (length(user_name) BETWEEN 1 AND 64),
    role             TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'reporter')),
    kdf_salt         BLOB    NOT NULL CHECK (length(kdf_salt) = 16),
    kdf_work_factor  INTEGER NOT NULL CHECK (kdf_work_factor BETWEEN 10 AND 22),
    -- Format 1: the data key wrapped under the key-encryption key.
    wrap_nonce       BLOB    CHECK (wrap_nonce IS NULL OR length(wrap_nonce) = 12),
    wrapped_key      BLOB    CHECK (wrapped_key IS NULL OR length(wrapped_key) = 48),
    -- Format 2: the public keys; both private keys sealed under the key-encryption key
    -- (nonce 12 ‖ ciphertext 64 ‖ tag 16); the data key wrapped to the X25519 public key
    -- (ephemeral public key 32 ‖ nonce 12 ‖ ciphertext 32 ‖ tag 16).
    x25519_public    BLOB    CHECK (x25519_public IS NULL OR length(x25519_public) = 32),
    ed25519_public   BLOB    CHECK (ed25519_public IS NULL OR length(ed25519_public) = 32),
    sealed_private   BLOB    CHECK (sealed_private IS NULL OR length(sealed_private) = 92),
    key_wrap         BLOB    CHECK (key_wrap IS NULL OR length(key_wrap) = 92),
    CHECK ((wrap_nonce IS NOT NULL AND wrapped_key IS NOT NULL AND x25519_public IS NULL AND ed25519_public IS NULL
            AND sealed_private IS NULL AND key_wrap IS NULL)
        OR (wrap_nonce IS NULL AND wrapped_key IS NULL AND x25519_public IS NOT NULL AND ed25519_public IS NOT NULL
            AND sealed_private IS NOT NULL AND key_wrap IS NOT NULL))
) STRICT;
INSERT INTO key_slot_v2 (id, user_name, role, kdf_salt, kdf_work_factor, wrap_nonce, wrapped_key)
    SELECT id, user_name, role, kdf_salt, kdf_work_factor, wrap_nonce, wrapped_key FROM key_slot;
DROP TABLE key_slot;
ALTER TABLE key_slot_v2 RENAME TO key_slot;

-- Ed25519 over "ketlog/v2/audit-entry" ‖ 0x00 ‖ the previous entry's hash ‖ the entry's bytes,
-- by the acting user's key; NULL for entries written under format 1.
ALTER TABLE audit_entry ADD COLUMN signature BLOB CHECK (signature IS NULL OR length(signature) = 64);
