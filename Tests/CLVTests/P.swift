enum PCLVTests {}
