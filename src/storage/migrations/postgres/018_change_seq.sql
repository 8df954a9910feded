-- Issue 14: the gateway caches who may reach what and forgets it when the rows behind it change.
-- Every process (workers, replicas, the CLI) bumps this one counter after a committed write to
-- those tables; every serving process polls it, so a change made anywhere is seen everywhere
-- within a poll interval even without Redis.
CREATE TABLE change_seq (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL
);
INSERT INTO change_seq (id, seq) VALUES (1, 0);
