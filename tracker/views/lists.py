from .home import home as deployment_list

agency_list = hotspot_list = rti_list = deployment_list
