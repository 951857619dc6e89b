-- A grid station's opening hours, contact person and phone (issue 26, stations): a claim has
-- a drop-off deadline, so the giver needs to know when the station is open and whom to call.
-- Public: these are staff, not households. Empty until the community sets them
-- (`microwish-server community station`).
ALTER TABLE grids ADD COLUMN station_hours TEXT NOT NULL DEFAULT '';
ALTER TABLE grids ADD COLUMN station_contact TEXT NOT NULL DEFAULT '';
ALTER TABLE grids ADD COLUMN station_phone TEXT NOT NULL DEFAULT '';
