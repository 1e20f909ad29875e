-- One definition of what a rule outcome gives on a conversion (issue #17): a fixed amount, or a
-- percent of the conversion's revenue rounded to 4 decimals; 0 where the rule has no such outcome.
-- Read by the evaluation on conversions and the one on fits, for payouts and booked revenue alike.
-- A plain SQL expression, so the planner inlines it.
create function clv_meta.rule_outcome_amount(outcome_type text, amount numeric, revenue numeric) returns numeric
language sql immutable parallel safe as $$
    select case outcome_type
        when 'fixed' then amount
        when 'revshare' then round(revenue * amount / 100, 4)
        else 0
    end
$$;
