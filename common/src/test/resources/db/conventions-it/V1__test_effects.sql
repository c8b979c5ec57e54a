create table team_effect (
    team_id  text not null,
    event_id text not null,
    ce_type  text not null
);
