enum PWarehouseTests {}
