-- SQLite has no TRUNCATE (its DELETE is already refused by a trigger); kept to number migrations alike.
SELECT 1;
