SELECT syncmaster.whoami();
