-- Format 3: vitals, drug screens and the daily-use calendar (DESIGN "Monitoring", "Drug screen",
-- "Daily use"). Three record kinds laid out as the others: a head row per record naming its
-- patient in the clear, and an append-only table of sealed versions. A vitals record's session
-- is inside its sealed blob. Sessions gain their monitoring fields inside the sealed blob too
-- (no table changes).

-- Vitals taken during a session.
CREATE TABLE vitals (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;
CREATE INDEX vitals_by_patient ON vitals(patient_id);

CREATE TABLE vitals_version (
    vitals_id INTEGER NOT NULL REFERENCES vitals(id),
    version   INTEGER NOT NULL CHECK (version >= 1),
    sealed    BLOB    NOT NULL,
    PRIMARY KEY (vitals_id, version)
) STRICT, WITHOUT ROWID;

-- Drug screens.
CREATE TABLE screen (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;
CREATE INDEX screen_by_patient ON screen(patient_id);

CREATE TABLE screen_version (
    screen_id INTEGER NOT NULL REFERENCES screen(id),
    version   INTEGER NOT NULL CHECK (version >= 1),
    sealed    BLOB    NOT NULL,
    PRIMARY KEY (screen_id, version)
) STRICT, WITHOUT ROWID;

-- Days of the daily-use calendar, one record per day.
CREATE TABLE day (
    id              INTEGER PRIMARY KEY,
    patient_id      INTEGER NOT NULL REFERENCES patient(id),
    current_version INTEGER NOT NULL CHECK (current_version >= 1)
) STRICT;
CREATE INDEX day_by_patient ON day(patient_id);

CREATE TABLE day_version (
    day_id  INTEGER NOT NULL REFERENCES day(id),
    version INTEGER NOT NULL CHECK (version >= 1),
    sealed  BLOB    NOT NULL,
    PRIMARY KEY (day_id, version)
) STRICT, WITHOUT ROWID;

-- Append-only, as for the other kinds.
CREATE TRIGGER vitals_version_no_update BEFORE UPDATE ON vitals_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER screen_version_no_update BEFORE UPDATE ON screen_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER day_version_no_update BEFORE UPDATE ON day_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER vitals_no_delete BEFORE DELETE ON vitals
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER screen_no_delete BEFORE DELETE ON screen
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER day_no_delete BEFORE DELETE ON day
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER vitals_version_no_delete BEFORE DELETE ON vitals_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER screen_version_no_delete BEFORE DELETE ON screen_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
CREATE TRIGGER day_version_no_delete BEFORE DELETE ON day_version
BEGIN SELECT RAISE(ABORT, 'record versions are append-only'); END;
