-- Records which purchase definition each predicted-CLV fit used (issue #16): 'positive-revenue'
-- (a purchase is a revenue event with amount > 0, the project's definition) or 'any-conversion'
-- (every conversion day, zero revenue included, as in the published CDNOW analyses).
-- Numbered 0010, not 0009, so it does not collide with a migration added on main meanwhile.
-- Fits recorded before this migration summarised UTC days whose revenue summed to more than 0;
-- 'positive-revenue' is the closest name for them.

alter table analytics.clv_model_fits
    add column purchases text not null default 'positive-revenue'
        check (purchases in ('positive-revenue', 'any-conversion'));

alter table analytics.clv_model_fits alter column purchases drop default;
