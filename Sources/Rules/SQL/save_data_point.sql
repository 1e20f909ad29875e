-- Saves a data point, or changes the type and parameter of the one saved under its name.
-- parameters: $1 name, $2 type ('number' or 'text'), $3 the postback parameter that carries it,
--   $4 the file that defines it (text, each)

insert into clv_meta.data_points (name, type, parameter, file)
values ($1, $2, $3, $4)
on conflict (name) do update set type = excluded.type, parameter = excluded.parameter
