-- Header fields an amendment can change besides the lines: the delivery date the customer asked for, and
-- the customer's own purchase-order reference (the note was there from the start). Both optional.
alter table orders add column requested_delivery_date date;
alter table orders add column customer_po varchar;
