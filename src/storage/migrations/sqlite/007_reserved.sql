-- 007 was never released: the number stays taken so that databases which recorded 008 and later
-- keep a contiguous history. Nothing to do.
SELECT 1;
