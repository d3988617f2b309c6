"""Network edges read from moto: security groups, VPCs and flow logs, EBS defaults, load balancers, EKS."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from tests.collectors.aws.conftest import Account


def _vpc(account: Account, cidr: str = "10.20.0.0/16") -> str:
    return str(account.client("ec2").create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"])


def _seed_bastion(account: Account, vpc: str) -> tuple[str, str]:
    """A group admitting SSH from every kind of source, and everything from 10/8; (group id, prefix list)."""
    ec2 = account.client("ec2")
    group = ec2.create_security_group(GroupName="bastion", Description="ssh in", VpcId=vpc)["GroupId"]
    office = ec2.create_managed_prefix_list(PrefixListName="office", MaxEntries=2, AddressFamily="IPv4")
    prefix_list = office["PrefixList"]["PrefixListId"]
    ssh = {
        "IpProtocol": "tcp",
        "FromPort": 22,
        "ToPort": 22,
        "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "anyone"}],
        "Ipv6Ranges": [{"CidrIpv6": "::/0"}],
        "UserIdGroupPairs": [{"GroupId": group}],
        "PrefixListIds": [{"PrefixListId": prefix_list}],
    }
    everything = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}
    ec2.authorize_security_group_ingress(GroupId=group, IpPermissions=[ssh, everything])
    return str(group), str(prefix_list)


def test_security_group_rules_flattened_one_per_source(account: Account) -> None:
    vpc = _vpc(account)
    group, prefix_list = _seed_bastion(account, vpc)

    run = account.collect()

    snapshot = run.named("aws.ec2.security_group", "bastion")
    assert snapshot.id == f"arn:aws:ec2:us-east-1:{account.account_id}:security-group/{group}"
    assert snapshot.attributes["vpc_id"] == vpc and snapshot.attributes["description"] == "ssh in"
    tcp22 = {"protocol": "tcp", "from_port": 22, "to_port": 22}
    empty = {"cidr_ipv4": None, "cidr_ipv6": None, "source_security_group": None, "prefix_list": None}
    expected = [
        {**empty, **tcp22, "cidr_ipv4": "0.0.0.0/0", "description": "anyone"},
        {**empty, **tcp22, "cidr_ipv6": "::/0", "description": None},
        {**empty, **tcp22, "source_security_group": "self", "description": None},
        {**empty, **tcp22, "prefix_list": prefix_list, "description": None},
        {
            **empty,
            "protocol": "-1",
            "from_port": None,
            "to_port": None,
            "cidr_ipv4": "10.0.0.0/8",
            "description": None,
        },
    ]
    canonical = partial(json.dumps, sort_keys=True)
    assert sorted(snapshot.attributes["ingress"], key=canonical) == sorted(expected, key=canonical)


def test_vpcs_with_their_flow_logs(account: Account) -> None:
    ec2 = account.client("ec2")
    logged, silent = _vpc(account, "10.30.0.0/16"), _vpc(account, "10.31.0.0/16")
    ec2.create_flow_logs(
        ResourceIds=[logged],
        ResourceType="VPC",
        TrafficType="REJECT",
        LogDestinationType="cloud-watch-logs",
        LogGroupName="vpc-flow",
        DeliverLogsPermissionArn=f"arn:aws:iam::{account.account_id}:role/flow",
    )

    run = account.collect()

    vpcs = {s.attributes.get("cidr_block"): s for s in run.of("aws.ec2.vpc")}
    assert vpcs["10.30.0.0/16"].id == f"arn:aws:ec2:us-east-1:{account.account_id}:vpc/{logged}"
    assert vpcs["10.30.0.0/16"].attributes["flow_logs"] == [
        {"traffic_type": "REJECT", "destination_type": "cloud-watch-logs", "destination": "vpc-flow"}
    ]
    assert vpcs["10.31.0.0/16"].attributes["flow_logs"] == []
    assert silent in vpcs["10.31.0.0/16"].id
    assert vpcs["172.31.0.0/16"].attributes["is_default"] is True  # moto's default VPC is seen as well


def test_ebs_encryption_by_default_per_region(account: Account) -> None:
    account.client("ec2", "eu-central-1").enable_ebs_encryption_by_default()

    run = account.collect(regions=["us-east-1", "eu-central-1"])

    settings = {s.region: s for s in run.of("aws.ec2.ebs_encryption_by_default")}
    assert settings["eu-central-1"].attributes == {"enabled": True}
    assert settings["us-east-1"].attributes == {"enabled": False}
    assert (
        settings["eu-central-1"].id
        == f"arn:aws:ec2:eu-central-1:{account.account_id}:ebs-encryption-by-default"
    )


def _load_balancer(account: Account, name: str, kind: str = "application") -> tuple[str, str]:
    ec2 = account.client("ec2")
    vpc = _vpc(account, "10.40.0.0/16") if kind == "application" else _vpc(account, "10.41.0.0/16")
    base = "10.40" if kind == "application" else "10.41"
    subnets = [
        ec2.create_subnet(VpcId=vpc, CidrBlock=f"{base}.{n}.0/24", AvailabilityZone=f"us-east-1{zone}")[
            "Subnet"
        ]["SubnetId"]
        for n, zone in ((1, "a"), (2, "b"))
    ]
    scheme = "internet-facing" if kind == "application" else "internal"
    lb = account.client("elbv2").create_load_balancer(Name=name, Subnets=subnets, Scheme=scheme, Type=kind)
    return str(lb["LoadBalancers"][0]["LoadBalancerArn"]), vpc


def _tls_listener(account: Account, lb_arn: str, vpc: str) -> None:
    elb = account.client("elbv2")
    certificate = account.client("acm").request_certificate(DomainName="shop.example.com")["CertificateArn"]
    group = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
    elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTPS",
        Port=443,
        SslPolicy="ELBSecurityPolicy-TLS13-1-2-2021-06",
        Certificates=[{"CertificateArn": certificate}],
        DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}],
    )
    redirect = {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}
    elb.create_listener(
        LoadBalancerArn=lb_arn,
        Protocol="HTTP",
        Port=80,
        DefaultActions=[{"Type": "redirect", "RedirectConfig": redirect}],
    )


def _web_acl(account: Account, lb_arn: str) -> str:
    waf = account.client("wafv2")
    visibility: dict[str, Any] = {
        "SampledRequestsEnabled": False,
        "CloudWatchMetricsEnabled": False,
        "MetricName": "shop",
    }
    acl = waf.create_web_acl(
        Name="shop", Scope="REGIONAL", DefaultAction={"Allow": {}}, VisibilityConfig=visibility
    )
    waf.associate_web_acl(WebACLArn=acl["Summary"]["ARN"], ResourceArn=lb_arn)
    return str(acl["Summary"]["ARN"])


def test_load_balancers_with_listeners_waf_and_attributes(account: Account) -> None:
    shop, vpc = _load_balancer(account, "shop")
    _tls_listener(account, shop, vpc)
    acl = _web_acl(account, shop)
    account.client("elbv2").modify_load_balancer_attributes(
        LoadBalancerArn=shop,
        Attributes=[{"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}],
    )
    account.client("elbv2").add_tags(ResourceArns=[shop], Tags=[{"Key": "tier", "Value": "edge"}])
    _load_balancer(account, "internal-nlb", kind="network")

    run = account.collect()

    alb = run.named("aws.lb.load_balancer", "shop")
    assert alb.id == shop
    attrs = alb.attributes
    assert (attrs["scheme"], attrs["type"], attrs["waf_web_acl"]) == ("internet-facing", "application", acl)
    assert attrs["drop_invalid_header_fields"] is True and attrs["access_logs_enabled"] is False
    assert attrs["tags"] == {"tier": "edge"}
    assert sorted(attrs["listeners"], key=lambda listener: listener["port"]) == [
        {"port": 80, "protocol": "HTTP", "ssl_policy": None, "redirects_to_https": True},
        {
            "port": 443,
            "protocol": "HTTPS",
            "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "redirects_to_https": False,
        },
    ]
    nlb = run.named("aws.lb.load_balancer", "internal-nlb").attributes
    assert (nlb["scheme"], nlb["type"], nlb["waf_web_acl"]) == ("internal", "network", None)


def test_eks_clusters(account: Account) -> None:
    eks = account.client("eks")
    role = f"arn:aws:iam::{account.account_id}:role/eks"
    key = f"arn:aws:kms:us-east-1:{account.account_id}:key/secrets"
    eks.create_cluster(
        name="platform",
        version="1.31",
        roleArn=role,
        resourcesVpcConfig={
            "subnetIds": ["subnet-1"],
            "endpointPublicAccess": False,
            "endpointPrivateAccess": True,
        },
        encryptionConfig=[{"resources": ["secrets"], "provider": {"keyArn": key}}],
        logging={
            "clusterLogging": [
                {"types": ["audit", "api"], "enabled": True},
                {"types": ["scheduler"], "enabled": False},
            ]
        },
        tags={"env": "prod"},
    )
    eks.create_cluster(name="sandbox", roleArn=role, resourcesVpcConfig={"subnetIds": ["subnet-1"]})

    run = account.collect()

    platform = run.named("aws.eks.cluster", "platform")
    assert platform.id == f"arn:aws:eks:us-east-1:{account.account_id}:cluster/platform"
    assert platform.attributes["endpoint_public_access"] is False
    assert platform.attributes["endpoint_private_access"] is True
    assert platform.attributes["secrets_encryption_key"] == key
    assert platform.attributes["enabled_log_types"] == ["audit", "api"]
    assert platform.attributes["version"] == "1.31" and platform.attributes["tags"] == {"env": "prod"}
    sandbox = run.named("aws.eks.cluster", "sandbox").attributes
    assert sandbox["secrets_encryption_key"] is None and sandbox["enabled_log_types"] == []
    assert sandbox["public_access_cidrs"] == ["0.0.0.0/0"]
